"""政策兑现: pay-out notices (list, editor with payments and workflow) and their totals."""
