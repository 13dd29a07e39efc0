/** Counting an import: rows read, imported and rejected, the first problems, and progress at most once a second. */
export interface Progress {
  rows: number
  imported: number
  rejected: number
  bytes: number
}

const KEEP = 100

export class Problems {
  rows = 0
  imported = 0
  rejected = 0
  private bytesRead = 0
  readonly list: { line: number; reason: string }[] = []
  private last = Date.now()

  constructor(private readonly onProgress?: (p: Progress) => void) {}

  row() {
    this.rows++
  }
  accept() {
    this.imported++
  }
  reject(line: number, reason: string) {
    this.rejected++
    if (this.list.length < KEEP) this.list.push({ line, reason })
  }
  bytes(n: number) {
    this.bytesRead = n
  }
  /** Reports progress if a second has gone by. */
  tick() {
    const now = Date.now()
    if (!this.onProgress || now - this.last < 1000) return
    this.last = now
    this.onProgress({ rows: this.rows, imported: this.imported, rejected: this.rejected, bytes: this.bytesRead })
  }
  result(from: string | null, to: string | null) {
    return {
      rows: this.rows,
      imported: this.imported,
      rejected: this.rejected,
      problems: this.list,
      days: from && to ? { from, to } : null,
    }
  }
}
