/** The CDK app (`cdk.json`: `node infra/app.ts`). Configuration: `waymark:*` context, see build-app.ts. */
import { buildApp } from "./build-app.ts";

buildApp().app.synth();
