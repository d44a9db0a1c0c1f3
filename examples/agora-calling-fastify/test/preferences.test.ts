import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, createStore, type TestStore } from './support/backends.ts'
import { newUser, startServer, type TestServer } from './support/server.ts'

describe.each(BACKENDS)('GET/PUT /api/calling/preferences on %s', (backend) => {
  let store: TestStore
  let server: TestServer
  beforeAll(async () => {
    store = await createStore(backend)
    server = await startServer(store)
  })
  afterAll(async () => {
    await server?.close()
    await store?.destroy()
  })

  it('answers the defaults (masking on) before anything is saved', async () => {
    const user = await newUser(server)
    const response = await server.request('GET', '/api/calling/preferences', { token: user.token })
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      voice_masking_enabled: true,
      video_masking_enabled: true,
      auto_mute_on_join: false,
      video_quality: 'hd',
      preferred_avatar: null,
      created_at: null,
      updated_at: null,
    })
  })

  it('saves all fields, then a partial update keeps the rest; per user', async () => {
    const user = await newUser(server)
    const other = await newUser(server)
    server.clock.set('2026-12-01T10:00:00.000Z')
    const body = { voice_masking_enabled: true, video_masking_enabled: false, auto_mute_on_join: true, video_quality: 'sd', preferred_avatar: 'avatar_002.png' }
    const saved = await server.request('PUT', '/api/calling/preferences', { token: user.token, body })
    expect(saved.status).toBe(200)
    expect(saved.body).toEqual({ success: true, message: 'Preferences updated successfully', preferences: body })

    server.clock.set('2026-12-01T15:30:00.000Z')
    const patched = await server.request('PUT', '/api/calling/preferences', { token: user.token, body: { video_quality: 'low', preferred_avatar: null } })
    expect(patched.body.preferences).toEqual({ ...body, video_quality: 'low', preferred_avatar: null })

    const read = await server.request('GET', '/api/calling/preferences', { token: user.token })
    expect(read.body).toEqual({ ...body, video_quality: 'low', preferred_avatar: null, created_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T15:30:00.000Z' })
    // Someone else's are untouched.
    expect((await server.request('GET', '/api/calling/preferences', { token: other.token })).body.created_at).toBeNull()
  })

  it('a first partial save fills the other fields with the defaults', async () => {
    const user = await newUser(server)
    const response = await server.request('PUT', '/api/calling/preferences', { token: user.token, body: { auto_mute_on_join: true } })
    expect(response.body.preferences).toEqual({ voice_masking_enabled: true, video_masking_enabled: true, auto_mute_on_join: true, video_quality: 'hd', preferred_avatar: null })
  })

  it.each([
    ['an empty body', {}],
    ['an unknown field', { theme: 'dark' }],
    ['a string boolean', { voice_masking_enabled: 'true' }],
    ['an unknown quality', { video_quality: '4k' }],
    ['an avatar URL', { preferred_avatar: 'https://evil.example/x.png' }],
  ])('400 for %s', async (_label, body) => {
    const user = await newUser(server)
    const response = await server.request('PUT', '/api/calling/preferences', { token: user.token, body })
    expect(response.status).toBe(400)
    expect(response.body.success).toBe(false)
  })
})
