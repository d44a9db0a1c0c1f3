import { describe, expect, it, vi } from 'vitest'
import { bearerJwt } from '../../src/http/index'

// jose is an optional peer dependency: an app that uses bearerJwt without installing it gets a coded error naming it.
vi.mock('jose', () => {
  throw new Error("Cannot find package 'jose'")
})

describe('bearerJwt without jose installed', () => {
  it('answers INVALID_CONFIG naming the package to install, on every request (not a cached failure)', async () => {
    const authenticate = bearerJwt({ secret: 'a-session-secret-of-32-characters' })
    const request = { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln' } }
    for (let i = 0; i < 2; i++) {
      await expect(authenticate(request)).rejects.toMatchObject({ code: 'ERR_CALLTOKEN_INVALID_CONFIG', message: 'bearerJwt needs the jose package: npm install jose' })
    }
    await expect(authenticate({ headers: {} })).resolves.toBeNull() // no credentials: jose is not needed
  })
})
