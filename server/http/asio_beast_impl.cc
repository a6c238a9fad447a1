// Separate compilation: Asio's and Beast's out-of-line definitions are compiled once, here.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
