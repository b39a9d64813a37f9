/**
 * `rotascope` command line: parse arguments, load config, run one command, and turn any failure
 * into one line on stderr and a non-zero exit code.
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { ENGINE_KINDS, type EngineKind, loadConfig } from '../config.js';
import { oneLineReason, UsageError } from '../errors.js';
import { openRuntime } from '../pipeline.js';
import { COMMANDS, type Command, type OptionSpec } from './commands.js';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  data: {
    type: 'string',
    value: 'dir',
    description: 'local data folder holding raw/, curated/ and keys/ (default ./local)',
  },
  site: { type: 'string', value: 'dir', description: 'where the site is written (default ./site)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` <${o.value}>` : ''}`;
    return `  ${flag.padEnd(26)} ${o.description}`;
  });
}

export function mainHelp(): string {
  return [
    'rotascope: workforce analytics for primary care networks',
    '',
    'Usage: rotascope <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`),
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run `rotascope <command> --help` for a command. Settings can also come from ROTASCOPE_* environment',
    'variables (see docs/configuration.md).',
  ].join('\n');
}

export function commandHelp(name: string, command: Command): string {
  return [
    `rotascope ${name}: ${command.summary}`,
    '',
    `Usage: ${command.usage}`,
    '',
    'Options:',
    ...optionLines({ ...command.options, ...GLOBAL_OPTIONS }),
  ].join('\n');
}

function toNumber(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return n;
}

function toEngine(value: string | boolean | undefined): EngineKind | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  const kind = ENGINE_KINDS.find((k) => k === value);
  if (!kind) throw new Error(`--engine must be ${ENGINE_KINDS.join(' or ')}, got "${value}"`);
  return kind;
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
}

/** Run the CLI; returns the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`rotascope: unknown command "${name}" (try rotascope --help)`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: { ...command.options, ...GLOBAL_OPTIONS },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`rotascope ${name}: ${oneLineReason(error)}`);
    return 2;
  }
  if (values.help) {
    io.out(commandHelp(name, command));
    return 0;
  }
  try {
    const config = loadConfig(io.env, {
      dataDir: typeof values.data === 'string' ? values.data : undefined,
      site: typeof values.site === 'string' ? values.site : undefined,
      seed: toNumber(values.seed, 'seed'),
      weeks: toNumber(values.weeks, 'weeks'),
      engine: command.engine ?? toEngine(values.engine),
    });
    const rt = openRuntime(config, systemClock, io.err);
    await command.run(rt, values, io.out);
    return 0;
  } catch (error) {
    io.err(`rotascope ${name}: ${oneLineReason(error)}`);
    if (error instanceof UsageError) return 2;
    if (io.env.ROTASCOPE_DEBUG) io.err(String((error as Error)?.stack ?? error));
    return 1;
  }
}
