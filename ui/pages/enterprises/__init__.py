"""企业库: the enterprise list (:mod:`.list_page`) and the enterprise window (:mod:`.detail`) with its tabs."""
