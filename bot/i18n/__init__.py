"""UI strings through Babel/gettext catalogs in locales/."""
