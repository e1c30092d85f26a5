-- Admits a client to a room if it has space: one atomic step, so two servers can never both admit the
-- last member. KEYS[1] room hash (client id -> server id, plus '@c' -> creator address), KEYS[2] zset of
-- rooms (score: expiry in ms), KEYS[3] zset of rooms the creator's address holds.
-- ARGV: client id, server id, capacity, max rooms, max rooms per address, room name, address ('' = none),
-- ttl ms. KEYS[4] the epoch, KEYS[5] the recovery flag: while Redis has lost its data and the servers
-- rewrite their rooms (or before any server has written an epoch), nobody is admitted.
-- Returns {'ok', field, value, ...} (the members before, '@c' included) or {code}.
if redis.call('EXISTS', KEYS[4]) == 0 or redis.call('EXISTS', KEYS[5]) == 1 then return {'unavailable'} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[8])
local exists = redis.call('EXISTS', KEYS[1]) == 1
if not exists then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return {'too-many-rooms'} end
  if ARGV[7] ~= '' then
    redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
    if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return {'too-many-rooms-address'} end
  end
end
local members = redis.call('HGETALL', KEYS[1])
local present = #members / 2
if exists then present = present - 1 end
if present >= tonumber(ARGV[3]) then return {'room-full'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if not exists then
  redis.call('HSET', KEYS[1], '@c', ARGV[7])
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ttl) -- every entry expires by then: nothing stays once no server runs
  if ARGV[7] ~= '' then
    redis.call('ZADD', KEYS[3], now + ttl, ARGV[6])
    redis.call('PEXPIRE', KEYS[3], ttl)
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
table.insert(members, 1, 'ok')
return members
