-- Removes members from a room; drops the room and its entries in the room sets once nobody is left.
-- KEYS[1] room hash. ARGV: key prefix, room name, client ids... Returns how many were removed.
local removed = 0
for i = 3, #ARGV do
  removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
end
if redis.call('HLEN', KEYS[1]) <= 1 then
  local creator = redis.call('HGET', KEYS[1], '@c')
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', ARGV[1] .. 'rooms', ARGV[2])
  if creator and creator ~= '' then redis.call('ZREM', ARGV[1] .. 'addr:' .. creator, ARGV[2]) end
end
return removed
