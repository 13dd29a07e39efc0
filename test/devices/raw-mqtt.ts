/** A bare MQTT 3.1.1 connection writing hand-made packets (to send the same PUBLISH twice with the DUP flag). */
import net from 'node:net'
import mqttPacket from 'mqtt-packet'

export interface RawMqtt {
  publish(topic: string, payload: string, opts: { qos: 0 | 1; messageId?: number; dup?: boolean }): void
  /** Resolves with the message ids acknowledged so far once `n` PUBACKs arrived. */
  acks(n: number, timeoutMs?: number): Promise<number[]>
  /** Resolves when the server closed the connection. */
  closed: Promise<void>
  end(): void
}

export async function rawConnect(url: string, clientId: string, auth: { username?: string; password?: string } = {}) {
  const u = new URL(url)
  const socket = net.connect(Number(u.port || 1883), u.hostname)
  const parser = mqttPacket.parser({ protocolVersion: 4 })
  const acked: number[] = []
  let connack: ((code: number) => void) | undefined
  const connacked = new Promise<number>((r) => {
    connack = r
  })
  parser.on('packet', (p) => {
    if (p.cmd === 'connack') connack?.(p.returnCode ?? 0)
    if (p.cmd === 'puback' && p.messageId !== undefined) acked.push(p.messageId)
  })
  socket.on('data', (d) => parser.parse(Buffer.from(d)))
  const closed = new Promise<void>((r) => socket.on('close', () => r()))
  socket.on('error', () => {})
  socket.write(
    mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId,
      keepalive: 30,
      ...(auth.username ? { username: auth.username } : {}),
      ...(auth.password ? { password: Buffer.from(auth.password) } : {}),
    }),
  )
  const code = await Promise.race([connacked, closed.then(() => -1)])
  const raw: RawMqtt = {
    publish(topic, payload, opts) {
      socket.write(
        mqttPacket.generate({
          cmd: 'publish',
          topic,
          payload: Buffer.from(payload),
          qos: opts.qos,
          dup: !!opts.dup,
          retain: false,
          ...(opts.qos > 0 ? { messageId: opts.messageId ?? 1 } : {}),
        }),
      )
    },
    async acks(n, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs
      while (acked.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
      return [...acked]
    },
    closed,
    end: () => socket.end(),
  }
  return { code, raw }
}
