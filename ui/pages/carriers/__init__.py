"""载体: incubators, maker spaces and the other carriers — the list page (:mod:`.list_page`) and the carrier window
(:mod:`.detail`) with its tabs: basic data, recognitions and their status history, statistics with the reviewer's
warnings, tenants, attachments and change history."""
