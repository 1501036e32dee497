-- A signed channel reset (docs/bundle-format.md, "Channel reset") moves a channel back below sequence numbers it
-- reached, so a later bundle may carry a sequence number an earlier, reset-away bundle had: the pair
-- (channel, sequence_number) is no longer unique. Replay protection does not rely on it: the channel policy
-- compares with the channel's position, and bundle ids stay unique.
ALTER TABLE bundle DROP CONSTRAINT bundle_channel_sequence;
