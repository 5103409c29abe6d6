/** Public API of the server. */
export { startServer } from './create-server.ts';
export type { EmostreamServer, ServerOptions } from './server-types.ts';
export type { StreamOutcome, StreamEndState } from './stream-registry.ts';
export { CONNECTION_ERRORS, PROTOCOL_VERSION, type ConnectionErrorCode } from './protocol.ts';
export { renderOverlayPage, POINT_COLOR, STREAM_COLORS, type TrailPoint, type OverlayCorner } from './overlay-page.ts';
export { renderStagePage, STAGE_RADIUS_FRACTION } from './stage-page.ts';
export { discPoint, moodWord, moodColor, widgetLayout } from './circumplex.ts';
export * from './limits.ts';
