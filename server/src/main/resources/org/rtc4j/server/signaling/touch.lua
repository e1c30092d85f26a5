-- Keeps rooms with members on a live server from expiring; with 'sync', also rewrites this server's members
-- of one room as it knows them (after Redis was unreachable, joins and leaves it missed).
-- ARGV: key prefix, server id, ttl ms, 'touch' or 'sync', then for 'touch' the names of the server's rooms
-- (one call per heartbeat renews them all; a room that expired stays gone), for 'sync' the room's name and
-- this server's client ids in it (KEYS[1] the room hash). Returns the room's members (field, value, ...)
-- for 'sync', nothing for 'touch'.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix, self, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local function renew(key, name)
  redis.call('PEXPIRE', key, ttl)
  redis.call('ZADD', prefix .. 'rooms', now + ttl, name)
  local creator = redis.call('HGET', key, '@c')
  if creator and creator ~= '' then
    redis.call('ZADD', prefix .. 'addr:' .. creator, now + ttl, name)
    redis.call('PEXPIRE', prefix .. 'addr:' .. creator, ttl)
  end
end
if ARGV[4] == 'touch' then
  for i = 5, #ARGV do
    local key = prefix .. 'room:' .. ARGV[i]
    if redis.call('EXISTS', key) == 1 then renew(key, ARGV[i]) end
  end
  redis.call('PEXPIRE', prefix .. 'rooms', ttl)
  return {}
end
local mine = {}
for i = 6, #ARGV do mine[ARGV[i]] = true end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i + 1] == self and not mine[all[i]] then redis.call('HDEL', KEYS[1], all[i]) end
end
for i = 6, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], self) end
if redis.call('HEXISTS', KEYS[1], '@c') == 0 then redis.call('HSET', KEYS[1], '@c', '') end
renew(KEYS[1], ARGV[5])
redis.call('PEXPIRE', prefix .. 'rooms', ttl)
return redis.call('HGETALL', KEYS[1])
