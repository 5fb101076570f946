export interface SmsMessage {
  to: string;
  body: string;
  marketing: boolean;
  notificationId: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  body: string;
  notificationId: string;
  customerId: string;
  template: string;
  locale: string;
  marketing: boolean;
}

export interface MessageSender {
  sendSms(message: SmsMessage): Promise<{ messageId: string }>;
  sendEmail(message: EmailMessage): Promise<{ messageId: string }>;
}
