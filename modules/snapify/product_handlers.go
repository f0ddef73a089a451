package snapify

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of a store's products: /api/v1/stores/{store}/products.

func (m *Module) apiListProducts(c echo.Context, s *Store) error {
	page, err := m.Products(c.Request().Context(), s, pageParam(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, page)
}

func (m *Module) apiCreateProduct(c echo.Context, s *Store) error {
	in := ProductInput{creating: true}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := m.CreateProduct(c.Request().Context(), s, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusCreated, p)
}

func (m *Module) apiGetProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	p, err := m.Product(c.Request().Context(), s, id)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) apiUpdateProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	var in ProductInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := m.UpdateProduct(c.Request().Context(), s, id, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, p)
}

func (m *Module) apiDeleteProduct(c echo.Context, s *Store) error {
	id, err := web.PathID(c, "product_id")
	if err != nil {
		return err
	}
	if err := m.DeleteProduct(c.Request().Context(), s, id); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
