/**
 * A Kysely dialect over embedded PGlite. PGlite has one connection, so access is serialized with a lock: a
 * transaction holds the connection from BEGIN to COMMIT and no other query can interleave inside it.
 */
import type { PGlite } from '@electric-sql/pglite'
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Kysely,
} from 'kysely'

/** A FIFO lock. `acquire()` resolves with a release function. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve()
  private waiting = 0

  get pending(): number {
    return this.waiting
  }

  acquire(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => {
      release = resolve
    })
    const prev = this.tail
    this.tail = prev.then(() => next)
    this.waiting++
    return prev.then(() => {
      this.waiting--
      return release
    })
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Statements without parameters use the simple protocol, which also accepts scripts of several statements
    // (migrations), as node-postgres does.
    const res =
      query.parameters.length === 0
        ? ((await this.pg.exec(query.sql)).at(-1) ?? { rows: [] as R[], affectedRows: 0 })
        : await this.pg.query<R>(query.sql, query.parameters as unknown[])
    const affected = res.affectedRows
    return {
      rows: res.rows as R[],
      ...(affected !== undefined && affected > 0 ? { numAffectedRows: BigInt(affected) } : {}),
    }
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported on PGlite; fail loudly.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on the embedded database')
  }
}

class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection
  private readonly releases = new WeakMap<DatabaseConnection, () => void>()

  constructor(
    pg: PGlite,
    private readonly mutex: Mutex,
  ) {
    this.connection = new PgliteConnection(pg)
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.acquire()
    // One connection object per acquisition, so release is bound to the right holder.
    const conn = Object.create(this.connection) as PgliteConnection
    this.releases.set(conn, release)
    return conn
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'BEGIN', parameters: [] } as unknown as CompiledQuery)
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'COMMIT', parameters: [] } as unknown as CompiledQuery)
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'ROLLBACK', parameters: [] } as unknown as CompiledQuery)
  }

  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const release = this.releases.get(conn)
    this.releases.delete(conn)
    release?.()
  }

  async destroy(): Promise<void> {}
}

export class PgliteDialect implements Dialect {
  constructor(
    private readonly pg: PGlite,
    private readonly mutex: Mutex,
  ) {}
  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pg, this.mutex)
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}
