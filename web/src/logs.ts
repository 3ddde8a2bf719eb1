import { api } from './api';
import { versionChain } from './lib/adherence';
import type { LogEntry, ProgramListItem } from './types';

/** Logs of a program and of the versions it revises (a revision keeps the schedule). */
export async function logsOfVersions(programs: ProgramListItem[], id: string): Promise<LogEntry[]> {
  const chain = versionChain(programs, id);
  const ids = chain.length ? chain.map((p) => p.id) : [id];
  const lists = await Promise.all(ids.map((pid) => api.get<{ logs: LogEntry[] }>(`/api/v1/programs/${pid}/logs`).then((r) => r.logs)));
  return lists.flat();
}
