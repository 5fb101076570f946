/**
 * This repository's own catalog: the reference journeys. `npm start`, `npx waymark simulate` and the CDK
 * app (infra/app.ts) find it here, exactly as they find a team's `waymark.config.ts` in its project.
 */
import { referenceCatalog } from "./journeys/registry.ts";

export default referenceCatalog;
