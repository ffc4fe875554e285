// Lint rules for orc. The `no-restricted-imports` zones below are the architecture's folder
// boundaries (docs/architecture.md): dependencies point inward, pure cores import no I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const folders = [
  'topology',
  'analysis',
  'mysql',
  'discovery',
  'backend',
  'operations',
  'recovery',
  'raft',
  'ha',
  'http',
  'service',
  'cli',
  'sandbox',
  'config',
  'common',
];

/** What each folder may import from src/ besides itself and common/. */
const allowed = {
  common: [],
  config: [],
  topology: [],
  analysis: ['topology'],
  mysql: ['topology'],
  backend: ['topology'],
  discovery: ['mysql', 'backend', 'topology', 'config'],
  operations: ['mysql', 'topology', 'backend'],
  recovery: ['analysis', 'operations', 'mysql', 'topology', 'backend'],
  raft: [],
  ha: ['raft', 'backend', 'topology'],
  sandbox: [],
  service: folders,
  http: folders,
  cli: folders,
};

/** Modules that do I/O; pure folders may not import them. */
const ioModules = [
  'mysql2',
  'mysql2/*',
  'better-sqlite3',
  'fastify',
  'node:net',
  'node:fs',
  'node:fs/promises',
  'node:child_process',
  'node:http',
  'pino',
];
const pure = new Set(['topology', 'analysis', 'common', 'raft']);

const zones = Object.entries(allowed).map(([folder, may]) => {
  const forbidden = folders.filter((f) => f !== folder && f !== 'common' && !may.includes(f));
  const patterns =
    forbidden.length === 0
      ? []
      : [
          {
            group: forbidden.flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../${f}`, `../../${f}`]),
            message: `src/${folder}/ may import only: ${[...may, 'common'].join(', ')} (architecture.md)`,
          },
        ];
  const io =
    pure.has(folder) && folder !== 'raft' && folder !== 'common'
      ? [{ group: ioModules, message: `src/${folder}/ is pure: no I/O modules (style.md)` }]
      : [];
  return {
    files: [`src/${folder}/**/*.ts`],
    ignores: [`src/${folder}/**/*.test.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, ...io] }] },
  };
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'web/dist/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: [
      'src/cli/**/*.ts',
      'scripts/**',
      'bench/**',
      'test/**',
      'bin/**',
      'src/sandbox/supervisor-main.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'process.exit only in src/cli/' },
      ],
    },
  },
  ...zones,
);
