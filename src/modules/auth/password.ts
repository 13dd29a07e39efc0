/** Password hashing with scrypt (N=2^15, r=8, p=1), self-describing format `scrypt$N$r$p$salt$hash`. */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'
import { AppError } from '../../errors.js'

const N = 1 << 15
const R = 8
const P = 1
const KEYLEN = 64
const MAXMEM = 128 * N * R * 2

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 256

export function checkPasswordPolicy(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new AppError('BadRequestData', `A password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters long`)
  }
  return password
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, keyB64] = stored.split('$')
  if (alg !== 'scrypt' || !n || !r || !p || !saltB64 || !keyB64) return false
  const expected = Buffer.from(keyB64, 'base64')
  const opts = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 }
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, opts)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash to verify against when the user does not exist, so that timing does not reveal user names. */
let dummy: Promise<string> | undefined
export const dummyHash = () => {
  dummy ??= hashPassword('not-a-real-password')
  return dummy
}
