/**
 * Replaces `@aws-sdk/credential-provider-node` in Lambda bundles (see infra's bundling options).
 * Inside Lambda the execution role's credentials are always in the environment, so the default
 * chain's SSO, INI, process, web-identity and IMDS providers (and the STS/SSO clients they pull
 * in, ~80 KB minified) can never win; dropping them makes cold starts cheaper.
 */
import { fromEnv } from "@aws-sdk/credential-provider-env";

export const defaultProvider = (_init?: unknown) => fromEnv();
