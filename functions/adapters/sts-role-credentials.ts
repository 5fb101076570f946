import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";

/** Temporary credentials, in the shape an AWS SDK v3 client takes as `credentials`. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumeRoleOptions {
  roleArn: string;
  /** Names the session in CloudTrail: who used the role, for what. */
  sessionName: string;
  /** @default 3600 (the most a role assumed by another role's session may get) */
  durationSeconds?: number;
  clock?: () => Date;
}

/**
 * Assuming the role failed, so the call that needed the credentials never reached its service: a definite
 * "not sent". Deliberately carries no HTTP status or network code of its own (the STS error is its `cause`),
 * so that an STS timeout is not mistaken for a publish that may have gone through.
 */
export class RoleCredentialsError extends Error {
  override name = "RoleCredentialsError";
}

/** Credentials are renewed this long before they expire (the SDK's own margin), never on the last request. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * A credential provider that assumes `roleArn` with `client` (whose own credentials are the caller's: in a
 * Lambda bundle, the execution role's from the environment) and keeps the temporary credentials until
 * five minutes before they expire; concurrent callers during a renewal share one AssumeRole call. The SDK
 * client that is given this provider memoizes it as well, with the same margin.
 */
export function assumeRoleCredentials(
  client: STSClient,
  options: AssumeRoleOptions,
): () => Promise<TemporaryCredentials> {
  const clock = options.clock ?? (() => new Date());
  let current: TemporaryCredentials | undefined;
  let renewal: Promise<TemporaryCredentials> | undefined;

  const assume = async (): Promise<TemporaryCredentials> => {
    let credentials: TemporaryCredentials | undefined;
    try {
      const { Credentials: c } = await client.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName,
          DurationSeconds: options.durationSeconds ?? 3600,
        }),
      );
      if (c?.AccessKeyId && c.SecretAccessKey && c.SessionToken && c.Expiration) {
        credentials = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      }
    } catch (error) {
      throw new RoleCredentialsError(`could not assume ${options.roleArn}`, { cause: error });
    }
    if (!credentials) throw new RoleCredentialsError(`AssumeRole ${options.roleArn} returned no credentials`);
    return credentials;
  };

  return async () => {
    if (current && current.expiration.getTime() - clock().getTime() > REFRESH_BEFORE_EXPIRY_MS)
      return current;
    renewal ??= assume()
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        renewal = undefined;
      });
    return renewal;
  };
}
