/**
 * orc's configuration: one schema, loaded from YAML/JSON files (orc's shape or orchestrator's
 * PascalCase keys) and ORC_* variables into one frozen Config that callers pass to
 * constructors. See docs/configuration.md.
 */
export { compileConfig, type ConfigFormat, type LoadResult } from './compile.js';
export { changedOptions, dumpConfig, MASK, toOrchestratorKeys, type Change } from './dump.js';
export { loadConfig, parseClientCredentials, parseConfigText } from './load.js';
export {
  allOptions,
  orchestratorKeys,
  schema,
  type Area,
  type Config,
  type OptionInfo,
} from './schema.js';
export { readDocument, readEnvironment, type Source } from './sources.js';
