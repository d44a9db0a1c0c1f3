// Types for agora-token's parser, which the package does not export or type (tests use it as the oracle).
declare module 'agora-token/src/AccessToken2' {
  export class Service {
    __type: number
    __privileges: Record<number, number>
    service_type(): number
  }
  export class ServiceRtc extends Service {
    __channel_name: Buffer | string
    __uid: Buffer | string
  }
  export class ServiceRtm extends Service {
    __user_id: Buffer | string
  }
  export class AccessToken2 {
    constructor(appId: string, appCertificate: string, issueTs: number, expire: number)
    appId: Buffer | string
    issueTs: number
    expire: number
    salt: number
    services: Service[]
    add_service(service: Service): void
    build(): string
    from_string(token: string): boolean
    verifySignature(appCertificate: string): boolean
    getServices(type: number): Service[]
  }
}
