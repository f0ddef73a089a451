package snapify

// discountPercent rounds down so a badge never promises more than the real saving.
func discountPercent(price, compareAt int64) int {
	if compareAt <= price || compareAt <= 0 || price < 0 {
		return 0
	}
	return int((compareAt - price) * 100 / compareAt)
}
