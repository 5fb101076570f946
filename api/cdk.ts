/** `waymark/cdk`: the CDK constructs. Plain re-exports only, so the modules behind them can move. */
export {
  CatalogModuleError,
  type DeliveryConfigurationSetNames,
  loadCatalogModule,
  resolveCatalogFile,
  Waymark,
  type WaymarkEmailSettings,
  type WaymarkFactsSettings,
  type WaymarkProps,
  WaymarkRuntime,
  type WaymarkRuntimeProps,
  type WaymarkSmsSettings,
  WaymarkState,
  type WaymarkStateProps,
  type WaymarkStateResources,
} from "../infra/waymark.ts";
