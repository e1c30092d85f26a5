-- Keeps a room with members on a live server from expiring, and rewrites this server's members as it
-- knows them (after Redis was unreachable, joins and leaves it missed). KEYS[1] room hash.
-- ARGV: key prefix, room name, server id, ttl ms, 'sync' or 'touch', this server's client ids...
-- Returns the room's members (field, value, ...) for 'sync', nothing for 'touch'.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[4])
if ARGV[5] == 'sync' then
  local mine = {}
  for i = 6, #ARGV do mine[ARGV[i]] = true end
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    if all[i + 1] == ARGV[3] and not mine[all[i]] then redis.call('HDEL', KEYS[1], all[i]) end
  end
  for i = 6, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], ARGV[3]) end
  if redis.call('HEXISTS', KEYS[1], '@c') == 0 then redis.call('HSET', KEYS[1], '@c', '') end
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', ARGV[1] .. 'rooms', now + ttl, ARGV[2])
redis.call('PEXPIRE', ARGV[1] .. 'rooms', ttl)
local creator = redis.call('HGET', KEYS[1], '@c')
if creator and creator ~= '' then
  redis.call('ZADD', ARGV[1] .. 'addr:' .. creator, now + ttl, ARGV[2])
  redis.call('PEXPIRE', ARGV[1] .. 'addr:' .. creator, ttl)
end
if ARGV[5] == 'sync' then return redis.call('HGETALL', KEYS[1]) end
return {}
