// The Lua scripts the backend runs with EVAL. Redis runs a script as one step, so each is atomic:
// no other client's command runs between its reads and its writes. Each touches only the keys
// it is given (KEYS), which share one Cluster hash slot (see redisKeys).

/**
 * Compare-and-set. KEYS[1] the token; ARGV[1] the new value; ARGV[2] the SHA-1 (hex) of the value
 * it must replace, or "" to write only when nothing is stored. Returns 1 if written, else 0.
 */
export const WRITE_IF_VERSION = `
local current = redis.call('GET', KEYS[1])
if ARGV[2] == '' then
  if current then return 0 end
elseif not current or redis.sha1hex(current) ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/** Releases a lease only if it is still ours. KEYS[1] the lease; ARGV[1] our owner id. Returns 1 if deleted. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Extends a lease only if it is still ours. KEYS[1] the lease; ARGV[1] our owner id; ARGV[2] the
 * new time to live in ms. Returns 1 if extended, 0 if it expired or another process holds it.
 */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * Moves the token aside with RENAME. KEYS[1] the token; KEYS[2] where to; ARGV[1] the SHA-1 of
 * the value seen unreadable, or "" for whatever is stored. Returns 1 if moved, 0 if nothing is
 * stored or it changed since (another process saved), -1 if KEYS[2] exists already.
 */
export const QUARANTINE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if ARGV[1] ~= '' and redis.sha1hex(current) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1
`;
