/**
 * ESLint for the whole repository: ESLint's and typescript-eslint's recommended rules everywhere,
 * and React's rules of hooks for the Custom UI under static/ (an effect that depends on a callback
 * rebuilt on every render loops; `react-hooks/exhaustive-deps` is what catches it).
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const node = { require: 'readonly', module: 'writable', exports: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', setInterval: 'readonly', clearTimeout: 'readonly', clearInterval: 'readonly' };
const browser = { window: 'readonly', document: 'readonly', globalThis: 'readonly', console: 'readonly', fetch: 'readonly' };

export default defineConfig(
  { ignores: ['node_modules/', '**/dist/', 'test-output/', '.sandbox-data/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter a signature needs but the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Type-aware rules, where a mistake is silent at run time: a promise nobody awaits (a lost
    // write, an unhandled rejection in a Forge function), a promise where a boolean or a void
    // callback is expected, a switch that forgets a case of a union, a thrown non-Error.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },
  {
    files: ['static/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The resolver contract holds the zod schemas: the pages take its types, never its values.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(src/shared/resolver-(api|schemas)|src/core/config|zod)$',
              allowTypeImports: true,
              message: 'Import only types from here (`import type`): its values bring zod into the bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { globals: node },
    // CommonJS files: require() is how they import.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: node } },
  {
    files: ['test/**/*.ts'],
    // Tests read the resolvers' and Jira's answers as untyped JSON on purpose.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['test/fixtures/sandbox-app/static/**/*.js'], languageOptions: { globals: browser } },
);
