/**
 * Streaming text input: lines out of a byte stream without holding the file (a chunk of lines at a time), and the
 * fields of one delimited line (quotes only cost when a line has them).
 */

export interface LineChunk {
  /** Line number (1-based) of the first line of the chunk. */
  first: number
  lines: string[]
}

/** Lines of a UTF-8 stream (BOM dropped, CRLF accepted), in chunks; counts the bytes read against `maxBytes`. */
export async function* readLines(
  input: AsyncIterable<Uint8Array | string>,
  opts: { maxBytes?: number; onBytes?: (n: number) => void } = {},
): AsyncGenerator<LineChunk> {
  const decoder = new TextDecoder('utf-8')
  let carry = ''
  let lineNo = 1
  let bytes = 0
  let firstChunk = true
  for await (const part of input) {
    let text: string
    if (typeof part === 'string') {
      bytes += Buffer.byteLength(part)
      text = part
    } else {
      bytes += part.byteLength
      text = decoder.decode(part, { stream: true })
    }
    if (opts.maxBytes !== undefined && bytes > opts.maxBytes) throw new InputTooLarge(opts.maxBytes)
    opts.onBytes?.(bytes)
    if (firstChunk && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    firstChunk = false
    const all = carry + text
    const last = all.lastIndexOf('\n')
    if (last < 0) {
      carry = all
      continue
    }
    carry = all.slice(last + 1)
    const lines = all.slice(0, last).split('\n')
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!
      if (l.endsWith('\r')) lines[i] = l.slice(0, -1)
    }
    yield { first: lineNo, lines }
    lineNo += lines.length
  }
  const rest = carry + decoder.decode()
  if (rest.length > 0) yield { first: lineNo, lines: [rest.endsWith('\r') ? rest.slice(0, -1) : rest] }
}

export class InputTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the input is larger than ${limit} bytes`)
  }
}

/** Splits one line on `delimiter`, honouring double quotes ("a;b" and "" inside quotes). */
export function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter)
  const out: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"') quoted = true
    else if (c === delimiter) {
      out.push(field)
      field = ''
    } else field += c
  }
  out.push(field)
  return out
}

/** The delimiter of a header line: the most frequent of `,` `;` tab and `|`. */
export function detectDelimiter(header: string): string {
  let best = ','
  let bestN = 0
  for (const d of [',', ';', '\t', '|']) {
    const n = header.split(d).length - 1
    if (n > bestN) {
      best = d
      bestN = n
    }
  }
  return best
}
