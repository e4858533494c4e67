# bytes_literal(PATH INDENT LITERAL SIZE): reads the file at PATH and sets
# LITERAL to its bytes as C++ string-literal pieces, 32 bytes to a line,
# each line starting with a newline and INDENT and each byte written \xNN
# (empty for an empty file), and SIZE to its length. Used by the scripts
# that compile files into the binary (corpus/data/embed.cmake,
# cli/web/embed.cmake).
function(bytes_literal path indent literal_var size_var)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  set(literal "")
  set(pos 0)
  while(pos LESS hex_len)
    string(SUBSTRING "${hex}" ${pos} 64 chunk)
    string(REGEX REPLACE "(..)" "\\\\x\\1" chunk "${chunk}")
    string(APPEND literal "\n${indent}\"${chunk}\"")
    math(EXPR pos "${pos} + 64")
  endwhile()
  set(${literal_var} "${literal}" PARENT_SCOPE)
  set(${size_var} "${size}" PARENT_SCOPE)
endfunction()
