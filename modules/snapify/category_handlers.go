package snapify

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of a store's categories: /api/v1/stores/{store}/categories.

func (m *Module) apiListCategories(c echo.Context, s *Store) error {
	cats, err := m.Categories(c.Request().Context(), s)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, categoryList{Categories: cats})
}

// apiSaveCategory creates a category (POST, no id) or changes one (PATCH /{category_id}).
func (m *Module) apiSaveCategory(c echo.Context, s *Store) error {
	var id int64
	if c.Param("category_id") != "" {
		var err error
		if id, err = web.PathID(c, "category_id"); err != nil {
			return err
		}
	}
	in := CategoryInput{creating: id == 0}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	cat, err := m.SaveCategory(c.Request().Context(), s, id, in)
	if err != nil {
		return problem(err)
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, cat)
}

func (m *Module) apiDeleteCategory(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "category_id")
	if err != nil {
		return err
	}
	if err := m.DeleteCategory(c.Request().Context(), s, id); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
