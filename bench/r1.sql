-- The database's own limit for one R1 page: the fewest statements that fetch the same data
-- (the total, then the whole page of 20 sets with rooms, users, themes, tiles, counts and the
-- caller's badge answers, assembled as JSON by PostgreSQL itself). Run by pgbench.
\set n random(0, :hosts - 1)
SELECT count(*) FROM room_sets WHERE host_user_id = (SELECT user_id FROM bench_hosts WHERE n = :n);
WITH page AS (
    SELECT rs.* FROM room_sets rs
    WHERE rs.host_user_id = (SELECT user_id FROM bench_hosts WHERE n = :n)
    ORDER BY rs.created_at, rs.id LIMIT 20
)
SELECT json_agg(json_build_object(
    'set', to_json(p),
    'host', (SELECT to_json(u) FROM users u WHERE u.id = p.host_user_id),
    'alternateHosts', (SELECT coalesce(json_agg(to_json(u)), '[]') FROM room_set_alternate_hosts ah
                       JOIN users u ON u.id = ah.user_id WHERE ah.room_set_id = p.id),
    'badges', (SELECT coalesce(json_agg(json_build_object('q', to_json(q), 'value', a.value, 'multi', a.multi_values)
                                        ORDER BY q.position), '[]')
               FROM badge_questions q LEFT JOIN badge_answers a ON a.question_id = q.id AND a.user_id = p.host_user_id
               WHERE q.room_set_id = p.id),
    'socials', (SELECT coalesce(json_agg(json_build_object(
        'room', to_json(r),
        'invites', (SELECT count(*) FROM social_invites i WHERE i.social_id = r.id),
        'attendees', (SELECT count(*) FROM social_attendees a WHERE a.social_id = r.id AND a.first_joined_at IS NOT NULL),
        'present', (SELECT count(*) FROM social_attendees a WHERE a.social_id = r.id AND a.status = 'JOINED'),
        'creator', (SELECT to_json(u) FROM users u WHERE u.id = r.creator_user_id),
        'updatedBy', (SELECT to_json(u) FROM users u WHERE u.id = r.updated_by_user_id),
        'company', (SELECT c.name FROM companies c WHERE c.id = r.company_id),
        'alternateHosts', (SELECT coalesce(json_agg(to_json(u)), '[]') FROM social_alternate_hosts ah
                           JOIN users u ON u.id = ah.user_id WHERE ah.social_id = r.id),
        'theme', (SELECT json_build_object('theme', to_json(t), 'tiles',
                    (SELECT coalesce(json_agg(to_json(tt) ORDER BY tt.position), '[]') FROM theme_tiles tt
                     WHERE tt.theme_id = t.id)) FROM themes t WHERE t.id = r.theme_id)
    ) ORDER BY r.created_at, r.id), '[]') FROM socials r WHERE r.room_set_id = p.id)
) ORDER BY p.created_at, p.id) FROM page p;
