"""tblc: compiles system-call table specs (tables/*.tbl) into C dispatch tables."""
