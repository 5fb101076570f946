/** The local runtime's HTTP port unless WAYMARK_PORT or --port says otherwise (kept apart: the CLI reads it without loading the runtime). */
export const DEFAULT_PORT = 4010;
