// ESLint (flat config) for the TypeScript and JavaScript of the repository: the sidecar, the admin UI, the
// shortcodes package, the tests, the scripts and the root config files. Layout is prettier's job
// (.prettierrc.json): eslint-config-prettier, last, switches off every rule that would disagree with it.
// The plugin (PHP, and plugin/assets in the WordPress JavaScript style) is checked by scripts/lint-php.sh.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/dist/', '.comeback/', 'plugin/', 'test/fixtures/', 'test/output/']),
  {
    // A disable comment that no longer silences anything is removed, not left to rot.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      // Each file is typed by its nearest tsconfig: tsconfig.json (sidecar, shortcodes, tests, root
      // configs) or admin-ui/tsconfig.json.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` is how this codebase says "required by the signature, not used": Express knows an error
      // handler by its four parameters (`_next`), fakes implement interfaces, and `{ a: _a, ...rest }`
      // leaves a field out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The no-unsafe-* family flags every use of an `any`, and two libraries hand out `any` by design:
      // mysql2's RowDataPacket (`[column: string]: any`) on every row the sidecar reads, and supertest's
      // `res.body` in every HTTP test. That is about 700 findings, nearly all a column or a response field
      // read where its shape is known and checked by the test or by the SQL beside it. They are worth
      // switching on once rows come through typed readers (db/queryable.ts); until then they would be noise.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Stubs and fakes implement async interfaces (`wooClient: async () => client`), and a test's
      // `async () => { throw … }` is how a callback rejects rather than throws: `async` without `await`
      // is meant in both (56 findings, none a bug). Floating and misused promises stay errors.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The .mjs scripts and this file belong to no tsconfig: plain JavaScript, linted without types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['admin-ui/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      // The screens load on change: an effect sets "loading" and then fetches, on mount, on refresh and
      // whenever what it depends on changes (useLoad in components/async.tsx does the same). That
      // synchronous setState is the pattern, not a mistake: all 13 findings are it. Moving the screens
      // onto one data-loading hook belongs to the admin UI's own issue, not to the lint setup.
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  prettier,
);
