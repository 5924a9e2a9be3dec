"""预审: batch pre-screening (:mod:`.page`) and the self-contained panel of one enterprise (:mod:`.enterprise_panel`),
which the enterprise dialog shows in its 预审 tab. Both explain each result with :mod:`.evaluation_view`."""
