// The page's whole logic: a session from the demo sign-in, a token source for the call token, and a view of
// every token, refresh and failure as it happens. Plain browser JavaScript, no build step.
import { createTokenSource } from '/demo/calltoken-client.js'

const $ = (id) => document.getElementById(id)
const time = (date) => date.toLocaleTimeString('en-GB', { hour12: false })
let session = null
let source = null
let current = null
let lifetimeMs = 0
let refreshes = 0
let received = 0

function log(text, kind = '') {
  const item = document.createElement('li')
  item.textContent = `${time(new Date())}  ${text}`
  item.className = kind
  $('log').append(item)
  item.scrollIntoView({ block: 'nearest' })
}

function setStatus(state, text) {
  $('status').dataset.state = state
  $('status').textContent = text
}

function show(token) {
  current = token
  lifetimeMs = (token.validityInSeconds ?? 0) * 1000 || token.expiresAt.getTime() - Date.now()
  $('identity').textContent = token.userId ?? '–'
  $('call').textContent = token.callCid ?? token.callId ?? '–'
  $('role-shown').textContent = token.role ?? '–'
  $('expires-at').textContent = time(token.expiresAt)
  // Never any of the token on screen: its number and length are enough to see it change.
  $('token-info').textContent = `token #${++received}: a JWT of ${token.token.length} characters`
  setStatus('live', 'Live: refreshed ahead of expiry')
  render()
}

function render() {
  if (!current) return
  const left = Math.max(0, current.expiresAt.getTime() - Date.now())
  $('countdown').textContent = left > 0 ? `${Math.ceil(left / 1000)} s` : 'expired'
  $('remaining-bar').style.width = `${lifetimeMs > 0 ? Math.min(100, (100 * left) / lifetimeMs) : 0}%`
}
setInterval(render, 250)

function controls() {
  $('sign-out').disabled = !session
  $('start').disabled = !session
  $('refresh-now').disabled = !source || source.stopped
  $('stop').disabled = !source || source.stopped
}

async function signIn() {
  const userId = $('user-select').value
  const response = await fetch('/demo/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
  const answer = await response.json()
  if (!response.ok) return log(`sign-in refused: ${answer.error}`, 'error')
  session = answer.session
  $('signed-in').textContent = `Signed in as ${answer.user.displayName}`
  log(`signed in as ${answer.user.id} (${answer.user.role})`)
  controls()
}

function signOut() {
  session = null
  $('signed-in').textContent = 'Signed out'
  log('signed out: the next token request carries no session')
  controls()
}

function start() {
  source?.stop()
  refreshes = 0
  received = 0
  $('refresh-count').textContent = '0'
  const body = { callId: $('call-id').value, role: $('role').value, validityInSeconds: Number($('validity').value) }
  source = createTokenSource({
    url: '/api/tokens/call',
    body,
    // Asked before every request, so signing out takes effect on the next refresh.
    headers: () => (session ? { authorization: `Bearer ${session}` } : {}),
    onError: (error) => {
      if (!error.transient) return
      setStatus('retrying', `Retrying (${error.code}); the current token stays usable until it expires`)
      log(`request failed (${error.status ?? 'no answer'}, ${error.code}): retrying with backoff`, 'error')
    },
  })
  const mine = source
  log(`asking for a ${body.role} token for call ${body.callId}, valid ${body.validityInSeconds} s`)
  mine.subscribe(
    (token) => {
      refreshes++
      $('refresh-count').textContent = String(refreshes)
      log(`refreshed: a new token, valid until ${time(token.expiresAt)}`, 'refresh')
      show(token)
    },
    (error) => stopped(mine, error),
  )
  mine.get().then(
    (token) => {
      log(`token issued, valid until ${time(token.expiresAt)}`)
      show(token)
    },
    (error) => stopped(mine, error),
  )
  controls()
}

function stopped(which, error) {
  if (which !== source) return
  if (!which.stopped) return log(`the token expired before it could be renewed (${error.code}); still trying`, 'error')
  setStatus('stopped', `Stopped: ${error.status ?? ''} ${error.code} (no more requests)`)
  log(`refused (${error.status ?? '–'} ${error.code}): ${error.message}; the source stopped`, 'error')
  controls()
}

$('sign-in').onclick = () => void signIn().catch((error) => log(`sign-in failed: ${error.message}`, 'error'))
$('sign-out').onclick = signOut
$('start').onclick = start
$('refresh-now').onclick = () => void source?.refresh().catch(() => {})
$('stop').onclick = () => {
  source?.stop()
  setStatus('stopped', 'Stopped by you')
  log('stopped: timers cleared, no more requests')
  controls()
}

const [health, users] = await Promise.all([fetch('/api/health').then((r) => r.json()), fetch('/demo/users').then((r) => r.json())])
$('provider').textContent = health.provider.id
for (const user of users) $('user-select').append(new Option(`${user.displayName}`, user.id))
document.body.dataset.ready = 'true'
