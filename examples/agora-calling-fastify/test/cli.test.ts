import { jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { DEMO_CREDENTIALS } from '../src/demo-credentials.ts'
import { runScript } from './support/scripts.ts'

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  AGORA_APP_ID: '0123456789abcdef0123456789abcdef',
  AGORA_APP_CERTIFICATE: 'fedcba9876543210fedcba9876543210',
  JWT_SECRET: 'a-production-jwt-secret-of-enough-length',
  PUBLIC_ID_SECRET: 'a-production-public-id-secret-long-enough',
}

describe('pnpm token', () => {
  it('prints a demo session JWT for a user and role, signed with the demo secret', async () => {
    const { stdout } = await runScript('token', ['4242', 'admin'], {})
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(DEMO_CREDENTIALS.JWT_SECRET))
    expect(payload.sub).toBe('4242')
    expect(payload.roles).toEqual(['member', 'admin'])
    expect(payload.exp! - payload.iat!).toBe(12 * 3600)

    const member = await runScript('token', ['7'], {})
    expect((await jwtVerify(member.stdout.trim(), new TextEncoder().encode(DEMO_CREDENTIALS.JWT_SECRET))).payload.roles).toEqual(['member'])
  })

  it('refuses a bad user id or role, and refuses to run in production', async () => {
    await expect(runScript('token', ['alice'], {})).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('usage: pnpm token <userId>') })
    await expect(runScript('token', ['5', 'root'], {})).rejects.toMatchObject({ code: 1 })
    await expect(runScript('token', ['5'], PRODUCTION_ENV)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('refuses to run when NODE_ENV=production') })
  })
})

describe('pnpm start', () => {
  it('refuses to start in production on demo credentials, listing every problem at once', async () => {
    const failure = await runScript('start', [], { NODE_ENV: 'production', JWT_SECRET: DEMO_CREDENTIALS.JWT_SECRET, PORT: 'eighty' }).catch((error: { code: number; stderr: string }) => error)
    expect(failure).toMatchObject({ code: 1 })
    const stderr = (failure as { stderr: string }).stderr
    expect(stderr).toContain('Invalid configuration:')
    for (const line of [
      'PORT: ',
      'AGORA_APP_ID is required when NODE_ENV=production',
      'AGORA_APP_CERTIFICATE is required when NODE_ENV=production',
      'JWT_SECRET is the documented demo value; set your own when NODE_ENV=production',
      'PUBLIC_ID_SECRET is required when NODE_ENV=production',
    ]) {
      expect(stderr).toContain(line)
    }
    // The message names variables, never their values.
    expect(stderr).not.toContain(DEMO_CREDENTIALS.JWT_SECRET)
  })
})
