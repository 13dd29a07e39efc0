// COPY ... TO STDOUT / FROM STDIN on a node-postgres client without another dependency: a minimal "submittable"
// (the interface pg-copy-streams implements) that collects the COPY OUT data or sends the given chunks.

class CopyQuery {
  constructor(text, input) {
    this.text = text
    this.input = input
    this.chunks = []
    this.rowCount = undefined
    this.callback = undefined
  }

  submit(connection) {
    connection.query(this.text)
  }

  handleCopyInResponse(connection) {
    for (const chunk of this.input ?? []) connection.sendCopyFromChunk(chunk)
    connection.endCopyFrom()
  }

  handleCopyData(msg) {
    // The chunk is a view into the protocol reader's buffer, which is reused: copy it.
    this.chunks.push(Buffer.from(msg.chunk))
  }

  handleCommandComplete(msg) {
    const m = /^COPY (\d+)/.exec(msg.text ?? '')
    if (m) this.rowCount = Number(m[1])
  }

  // On an error the client forgets the query before ReadyForQuery: answer now.
  handleError(err) {
    this.callback?.(err)
    this.callback = undefined
  }

  handleReadyForQuery() {
    this.callback?.(undefined, this)
    this.callback = undefined
  }

  // Not expected during COPY; present so that the client never calls a missing method.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
}

function run(client, q) {
  return new Promise((resolve, reject) => {
    q.callback = (err, res) => (err ? reject(err) : resolve(res))
    client.query(q)
  })
}

/** `COPY (...) TO STDOUT`: the data as Buffer chunks (one per row in text format). */
export async function copyOut(client, text) {
  const q = await run(client, new CopyQuery(text))
  return { chunks: q.chunks, rows: q.rowCount }
}

/** `COPY table FROM STDIN` with these chunks; the number of rows copied. */
export async function copyIn(client, text, chunks) {
  const q = await run(client, new CopyQuery(text, chunks))
  return q.rowCount
}
