/**
 * What a template stub says until the team writes the message: that it is a stub, and which Pinpoint template
 * (name and version) it stands for — so a simulation shows which template went where. Short, so it fits an
 * SMS with Waymark's ad marking; Korean for ko-* locales, English for any other.
 */
import type { TemplateStub } from "./plan.ts";

export interface StubText {
  sms: string;
  subject: string;
  body: string;
}

export function stubText(stub: TemplateStub, locale: string): StubText {
  const name = stub.pinpointName.length > 40 ? `${stub.pinpointName.slice(0, 39)}…` : stub.pinpointName;
  if (/^ko\b/i.test(locale)) {
    const version = stub.pinpointVersion ? `(버전 ${stub.pinpointVersion})` : "";
    return {
      sms: `[임시] Pinpoint 템플릿 ${name}${version}: 메시지를 작성하세요.`,
      subject: `[임시] ${name}`,
      body: `Pinpoint 템플릿 ${name}${version}의 임시 문구입니다. 실제 메시지로 바꾸세요.`,
    };
  }
  const version = stub.pinpointVersion ? ` (version ${stub.pinpointVersion})` : "";
  return {
    sms: `[Stub] Pinpoint template ${name}${version}: write this message.`,
    subject: `[Stub] ${name}`,
    body: `Stub of the Pinpoint template ${name}${version}. Replace it with the message.`,
  };
}
