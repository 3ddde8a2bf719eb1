// ESLint for the app (npm run lint, zero warnings allowed): the recommended
// JavaScript and typescript-eslint rules, and the rules of hooks. Preact's
// hooks (preact/hooks) have React's names and contracts, so
// eslint-plugin-react-hooks checks them as they are: a hook called only at
// the top level of a component or hook, and an effect's or memo's
// dependencies naming everything it reads.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // src/api/schema.d.ts is generated (npm run gen:api).
  { ignores: ['dist/', 'node_modules/', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // useAsync(loader, deps) takes its dependencies like useEffect.
      'react-hooks/exhaustive-deps': ['error', { additionalHooks: '^useAsync$' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sw.js'],
    languageOptions: { globals: { ...globals.serviceworker, __REBALANCE_BUILD__: 'readonly' } },
  },
  {
    files: ['eslint.config.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
