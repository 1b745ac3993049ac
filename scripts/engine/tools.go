//go:build tools

// Package engine pins the FerretDB version the project embeds; scripts/engine/build.sh builds it.
package engine

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
