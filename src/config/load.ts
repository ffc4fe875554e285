/**
 * Reading configuration from disk: JSON and YAML files, and the my.cnf-style credentials files
 * orchestrator's *CredentialsConfigFile keys point at. Everything after parsing is pure and
 * lives in sources.ts and compile.ts.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { OrcError } from '../common/errors.js';
import { compileConfig, type LoadResult } from './compile.js';
import type { Config } from './schema.js';
import { readDocument, readEnvironment, type Assignment, type Source } from './sources.js';

type Env = Readonly<Record<string, string | undefined>>;

function unparsable(file: string, reason: string, line?: number, column?: number): OrcError {
  const where = line === undefined ? '' : ` at line ${line}, column ${column ?? 1}`;
  return new OrcError(
    'CONFIG_UNREADABLE',
    `cannot parse configuration file ${file}${where}: ${reason}`,
    {
      context: { file, ...(line === undefined ? {} : { line, column }) },
    },
  );
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /at position (\d+)/.exec(message);
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/^(Unexpected token '.+?'), ".*" is not valid JSON$/s, '$1');
    if (position === null) throw unparsable(file, reason);
    const { line, column } = lineColumn(text, Number(position[1]));
    throw unparsable(file, reason, line, column);
  }
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text);
  const [error] = doc.errors;
  if (error !== undefined) {
    const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    const at = error.linePos?.[0];
    throw unparsable(file, reason, at?.line, at?.col);
  }
  return doc.toJS() as unknown;
}

/**
 * Parses the text of one configuration file. `.json` is JSON, `.yaml`/`.yml` is YAML; any
 * other name is JSON when the text starts with `{` or `[`, else YAML. An empty file is an
 * empty document. Throws OrcError CONFIG_UNREADABLE with the line and column when known.
 */
export function parseConfigText(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return null;
  const ext = extname(file).toLowerCase();
  const json = ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(body));
  if (!json) return parseYaml(body, file);
  return parseJson(body, file);
}

/**
 * The `[client]` user and password of a my.cnf-style file (gcfg syntax, as orchestrator reads
 * it): `key = value` lines, `;` or `#` comments, optional double quotes.
 */
export function parseClientCredentials(text: string): { user: string; password: string } {
  const found = { user: '', password: '' };
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]\s]+)\s*\]$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const pair = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (section !== 'client' || pair === null) continue;
    const key = (pair[1] ?? '').toLowerCase();
    const value = unquote(pair[2] ?? '');
    if (key === 'user' || key === 'password') found[key] = value;
  }
  return found;
}

function unquote(value: string): string {
  const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(value);
  if (quoted !== null) return (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  return value.replace(/\s[;#].*$/, '').trim();
}

async function readText(path: string, shown: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : err instanceof Error
              ? err.message
              : String(err);
    throw new OrcError('CONFIG_UNREADABLE', `cannot read ${what} ${shown}: ${reason}`, {
      cause: err,
      context: { file: path },
    });
  }
}

/** Sources for the credentials files a compiled config names (backend and topology). */
async function credentialSources(config: Config, cwd: string): Promise<Source[]> {
  const files = [
    { file: config.backend.mysqlCredentialsConfigFile, area: 'backend', prefix: 'mysql' },
    { file: config.topology.credentialsConfigFile, area: 'topology', prefix: '' },
  ];
  const out: Source[] = [];
  for (const { file, area, prefix } of files) {
    if (file === '') continue;
    const text = await readText(resolve(cwd, file), file, 'credentials file');
    const { user, password } = parseClientCredentials(text);
    const values = new Map<string, Assignment>([
      [
        `${area}.${prefix === '' ? 'user' : 'mysqlUser'}`,
        { value: user, key: 'user', origin: file },
      ],
      [
        `${area}.${prefix === '' ? 'password' : 'mysqlPassword'}`,
        { value: password, key: 'password', origin: file },
      ],
    ]);
    out.push({
      origin: file,
      values,
      warnings: [],
      issues: [],
      orchestratorKeyCount: 0,
      nativeKeyCount: 0,
    });
  }
  return out;
}

/**
 * Loads the configuration: `files` in order (later override earlier; relative paths start at
 * `cwd`), then ORC_* variables from `env`, then the credentials files the result names (which
 * override user and password, as in orchestrator). `env` also feeds `${NAME}` in secrets.
 * Throws OrcError CONFIG_UNREADABLE (a file cannot be read or parsed) or CONFIG_INVALID
 * (every wrong value, listed together). Reads files only; never touches process state.
 */
export async function loadConfig(options: {
  files: readonly string[];
  env: Env;
  cwd: string;
}): Promise<LoadResult> {
  const sources: Source[] = [];
  for (const file of options.files) {
    const text = await readText(resolve(options.cwd, file), file, 'configuration file');
    sources.push(readDocument(parseConfigText(text, file), file));
  }
  sources.push(readEnvironment(options.env));

  const first = compileConfig(sources, { env: options.env });
  const credentials = await credentialSources(first.config, options.cwd);
  if (credentials.length === 0) return first;
  return compileConfig([...sources, ...credentials], { env: options.env });
}
