/**
 * @module zones
 * The trust zones and the actions each may be granted. Pure data; every other domain
 * reads it, so a zone or action is defined in exactly one place.
 */
export type { Zone } from "./zones.js";
export {
  isZone,
  MAX_READ_TTL_SECONDS,
  MAX_WRITE_TTL_SECONDS,
  maxTtlSeconds,
  VOUCH_ACTIONS,
  WRITE_ACTIONS,
  writesOrVouches,
  ZONE_ACTIONS,
  ZONES,
} from "./zones.js";
