/** Small helpers for the CLI: argument parsing with clear errors, reading a password, printing tables. */
import { parseArgs, type ParseArgsConfig } from 'node:util'

export class UsageError extends Error {}

export interface Parsed {
  values: Record<string, any>
  positionals: string[]
}

export function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): Parsed {
  try {
    const r = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    })
    return r as unknown as Parsed
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)'
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)))
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}
