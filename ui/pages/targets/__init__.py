"""目标考核: target grids per year and indicator, their import, and progress per 属地."""
