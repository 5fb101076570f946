/** `waymark/cdk`: the CDK constructs. Plain re-exports only, so the modules behind them can move. */
export {
  CatalogModuleError,
  loadCatalogModule,
  resolveCatalogFile,
  Waymark,
  type WaymarkProps,
  WaymarkRuntime,
  type WaymarkRuntimeProps,
  WaymarkState,
  type WaymarkStateProps,
  type WaymarkStateResources,
} from "../infra/waymark.ts";
