// Type-aware lint for product code, tests and tools; `.ci/run` runs it (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// SQL keywords as this codebase writes them (upper case); a string holding one is a statement.
const SQL = String.raw`/\b(SELECT\s[\s\S]*\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|COPY\s|CREATE\s+(OR\s+REPLACE\s+)?(TABLE|VIEW|INDEX|ROLE|FUNCTION|POLICY)|ALTER\s+(TABLE|VIEW|ROLE)|DROP\s+(TABLE|VIEW|ROLE|DATABASE)|SET\s+(LOCAL\s+)?ROLE|WITH\s+\w+\s+AS\s*\()/`;
const SQL_MESSAGE = 'SQL lives in the stores (src/core/db/stores/) and migrations/: call a store function instead.';

/** Keeps SQL in the stores; exported so test/architecture can show it fires. */
export const noSqlOutsideStores = {
  'no-restricted-syntax': [
    'error',
    { selector: `Literal[value=${SQL}]`, message: SQL_MESSAGE },
    { selector: `TemplateElement[value.raw=${SQL}]`, message: SQL_MESSAGE },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.radar/**', 'exports/**', 'bench/results/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts', 'bin/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Many async functions implement an interface that returns a promise without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts', 'crawlers/**/*.ts', 'scoring/**/*.ts'],
    ignores: ['src/core/db/**'],
    rules: noSqlOutsideStores,
  },
  {
    // The console's browser script is plain JS served as is, outside the TypeScript project.
    files: ['src/apps/console/assets/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/apps/console/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        htmx: 'readonly',
        echarts: 'readonly',
        cytoscape: 'readonly',
        fetch: 'readonly',
        console: 'readonly',
        URLSearchParams: 'readonly',
        FormData: 'readonly',
        localStorage: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
  {
    files: ['bin/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    // Tests and benches poke at values of unknown shape on purpose and pass methods to expect().
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // Tests feed control characters and combining marks to the code on purpose.
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
);
