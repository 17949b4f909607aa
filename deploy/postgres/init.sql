-- One database per service: no service reads another's tables.
CREATE DATABASE gateway;
CREATE DATABASE shops;
CREATE DATABASE catalog;
CREATE DATABASE orders;
CREATE DATABASE notifications;
