import { invalidToken, type DecodedToken } from '@calltoken/core/provider'
import type { AccessToken2Content, ParsedService } from './parse-access-token2'
import { roleOfRtcPrivileges, SERVICE_RTC, SERVICE_RTM, SERVICE_RTM2 } from './privileges'

/**
 * An AccessToken2 token in neutral terms. The first RTC service names the user and call (an empty
 * uid is the any-uid wildcard, reported as "0"; an empty channel is a wildcard, reported as no call);
 * otherwise the first RTM or RTM2 service names the user.
 */
export function neutralClaims(content: AccessToken2Content): DecodedToken {
  const base = {
    provider: 'agora',
    issuedAt: content.issueTs,
    expiresAt: content.issueTs + content.expire,
    claims: { ...content },
  }
  const rtc = content.services.find((s) => s.type === SERVICE_RTC)
  if (rtc) {
    const channelName = stringField(rtc, 'channelName')
    const uid = stringField(rtc, 'uid')
    return {
      ...base,
      userId: uid === '' ? '0' : uid,
      ...(channelName === '' ? {} : { callId: channelName }),
      providerRole: roleOfRtcPrivileges(rtc.privileges),
    }
  }
  const rtm = content.services.find((s) => s.type === SERVICE_RTM || s.type === SERVICE_RTM2)
  if (rtm) return { ...base, userId: stringField(rtm, 'userId') }
  throw invalidToken('agora', 'it has no RTC or RTM service, so it names no user')
}

function stringField(service: ParsedService, field: string): string {
  const value = service[field]
  if (typeof value !== 'string') throw invalidToken('agora', `the ${service.name} service has no ${field}`)
  return value
}
