import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './types';

export interface Auth {
  user: User;
  logout: () => Promise<void>;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside a logged-in view');
  return a;
}

export interface SessionAnswer {
  user: User;
  csrf_token: string;
  token?: string;
  expires_at?: number;
}
