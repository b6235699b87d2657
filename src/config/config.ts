import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { settings, type SettingKey, type Settings } from './settings.js';
import { loadVbrServers, type VbrServerEntry } from './vbr-servers.js';

export { ConfigError };

type RawConfig = { [K in SettingKey]: z.output<Settings[K]['schema']> };

/** The validated configuration, with mode-dependent defaults resolved. */
export interface Config extends Omit<RawConfig, 'graphiql' | 'introspection' | 'maskErrors'> {
  graphiql: boolean;
  introspection: boolean;
  maskErrors: boolean;
  /** The VBR_SERVERS file, read and validated ([] when unset). */
  vbr: VbrServerEntry[];
}

export interface LoadConfigOptions {
  /** Environment to read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * A JSON file whose keys are the setting names (e.g. `{ "port": 4000 }`).
   * Environment variables win over the file. Default: the CONFIG_FILE variable, else none.
   */
  file?: string;
  /** Values that win over everything (command-line flags). */
  overrides?: Partial<Record<SettingKey, unknown>>;
}

const keys = Object.keys(settings) as SettingKey[];

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object of settings`);
  }
  const unknown = Object.keys(parsed).filter((key) => !keys.includes(key as SettingKey));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Config file ${path} has unknown setting "${unknown[0]}"; known settings: ${keys.join(', ')}`,
    );
  }
  return parsed as Record<string, unknown>;
}

function describe(key: SettingKey, value: unknown): string {
  if (settings[key] && 'secret' in settings[key] && settings[key].secret) return '(hidden)';
  return JSON.stringify(value);
}

/**
 * Reads and validates the configuration. Throws ConfigError with one line that
 * names the setting, the value and what is allowed.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const filePath = options.file ?? (env.CONFIG_FILE || undefined);
  const fromFile = filePath ? readConfigFile(filePath) : {};
  const raw: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const key of keys) {
    const spec = settings[key];
    if (options.overrides && options.overrides[key] !== undefined) {
      raw[key] = options.overrides[key];
      source[key] = `--${key}`;
    } else if (env[spec.env] !== undefined) {
      raw[key] = env[spec.env];
      source[key] = spec.env;
    } else if (fromFile[key] !== undefined) {
      raw[key] = fromFile[key];
      source[key] = `${key} in ${filePath}`;
    }
  }
  const result: Partial<RawConfig> = {};
  for (const key of keys) {
    const spec = settings[key];
    const parsed = spec.schema.safeParse(raw[key]);
    if (!parsed.success) {
      throw new ConfigError(
        `Invalid setting ${source[key] ?? spec.env}=${describe(key, raw[key])}: expected ${spec.allowed}`,
      );
    }
    (result as Record<string, unknown>)[key] = parsed.data;
  }
  const config = result as RawConfig;
  const development = config.mode === 'development';
  const resolved: Config = {
    ...config,
    graphiql: config.graphiql ?? development,
    introspection: config.introspection ?? config.mode !== 'production',
    maskErrors: config.maskErrors ?? !development,
    vbr: config.vbrServers ? loadVbrServers(config.vbrServers) : [],
  };
  if (resolved.emUrl && (!resolved.emUsername || !resolved.emPassword)) {
    throw new ConfigError('EM_URL is set, so EM_USERNAME and EM_PASSWORD are required too');
  }
  if (resolved.mode === 'production' && !resolved.emUrl) {
    throw new ConfigError(
      'NODE_ENV=production needs EM_URL: the embedded EM simulator only runs in development and test',
    );
  }
  return resolved;
}

/** Lines for `--help`: every variable, what it does and its default. */
export function describeSettings(): string[] {
  return keys.map((key) => `  ${settings[key].env.padEnd(24)} ${settings[key].doc}`);
}
