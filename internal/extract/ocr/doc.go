// Package ocr extracts text from images (PNG, JPEG, TIFF, GIF, BMP, WebP)
// with the tesseract command, and offers the Tesseract runner that the
// PDF extractor uses for pages without a text layer.
//
// Tesseract reads any file that is not an image as a list of image file
// names, one per line, so that a hostile text file could make it read
// other files on the machine. Recognize therefore refuses files whose
// first bytes are not a known image signature.
package ocr
